# Seed 004 In[11] (prints added).
import torch
t = torch.zeros(2, 3)
t1 = torch.clone(t)      # creates a new copy of the tensor that is still linked to the computational graph (see below)
assert id(t) != id(t1), 'Functional methods create a new copy of the tensor'

# To create a new _independent_ copy, we do need to detach from the graph
t1 = torch.clone(t).detach()
print(t1, t1.requires_grad)
