# Seed 004 In[13].
import numpy as np
import torch
t = torch.tensor(np.array([1., 2., 3.]))
print(repr(t.numpy()))
