# Seed 004 In[17]-In[18].
import torch
s = torch.tensor(42) # creates a tensor with a scalar (zero-th order tensor, i.e. just a number)
print(s)
print(s.item())
