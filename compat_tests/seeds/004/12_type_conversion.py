# Seed 004 In[15]-In[16]: byte() wraps negative values (-1.38 -> 255), as the seed shows.
import torch
torch.manual_seed(0)
t = torch.randn(5, 6)
print(t)
i = torch.tensor([1, 3])
j = torch.tensor([4, 5])
print(t[i])                          # selects rows 1 and 3
print(t[i, j])                       # selects (1, 4) and (3, 5)
t   = t.float()   # converts to 32-bit float
print(t)
t   = t.double()  # converts to 64-bit float
print(t)
t   = t.byte()    # converts to unsigned 8-bit integer
print(t)
