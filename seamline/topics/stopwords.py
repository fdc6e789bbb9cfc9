"""An English stopword list of our own: function words that carry no topic.

Written for seamline (pronouns, determiners, auxiliaries, prepositions,
conjunctions, common adverbs and contraction pieces). Tokens are lower-case
letter runs, so contractions appear as their pieces ("don", "t", "ll").
"""
from __future__ import annotations

ENGLISH = frozenset("""
a about above across after afterwards again against ago all almost alone along already also although
always am among amongst an and another any anybody anyone anything anyway anywhere are aren around as
at away
b back be became because become becomes becoming been before beforehand behind being below beside
besides between beyond both but by
c can cannot could couldn
d did didn do does doesn doing don done down during
e each eight either else elsewhere enough etc even ever every everybody everyone everything everywhere
except
f few fifteen fifty first five for former formerly forty four from further
g get gets getting give given go goes going gone got
h had hadn has hasn have haven having he her here hereafter hereby herein hers herself him himself his
how however hundred
i ie if in indeed instead into is isn it its itself
j just
k keep kept
l last later least less let like ll
m made make makes many may maybe me meanwhile might mine more moreover most mostly much must mustn my
myself
n namely need neither never nevertheless next nine no nobody none noone nor not nothing now nowhere
o of off often on once one only onto or other others otherwise ought our ours ourselves out over own
p per perhaps please put
q quite
r rather re really
s said same say says second see seem seemed seeming seems seen several shall shan she should shouldn
since six so some somebody someone something sometime sometimes somewhere still such
t take than that the their theirs them themselves then thence there thereafter thereby therefore
therein these they thing things third this those though three through throughout thru thus to together
too took toward towards twelve twenty two
u under unless until up upon us used using
v ve very via
w was wasn way we well were weren what whatever when whence whenever where whereafter whereas whereby
wherein whether which while whither who whoever whole whom whose why will with within without won
would wouldn
x
y yes yet you your yours yourself yourselves
z
""".split())
