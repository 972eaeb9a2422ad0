# Seed 004 In[9].
import torch
t = torch.zeros(2, 3)
print(t)
