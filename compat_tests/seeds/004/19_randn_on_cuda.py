# Seed 004 In[24], as written (needs a GPU: torch's CPU build raises AssertionError).
import torch
t_gpu = torch.randn(3, 3, device="cuda:0")
print(t_gpu)
