"""Course timetabling with student sectioning in the ITC 2019 model: the problem and its
solutions (:mod:`.model`), the competition's XML formats (:mod:`.itc2019`) and the exact
evaluation of a solution (:mod:`.evaluate`)."""
