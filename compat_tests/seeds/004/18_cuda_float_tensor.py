# Seed 004 In[23], as written (needs a GPU: torch's CPU build raises TypeError).
import torch
t_gpu = torch.cuda.FloatTensor(3, 3)   # creation of a GPU tensor
t_gpu.zero_()                          # initialization to zero
print(t_gpu)
