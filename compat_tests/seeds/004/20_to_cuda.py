# Seed 004 In[25]-In[26], as written (the move to cuda:0 needs a GPU); manual_seed added.
import torch
torch.manual_seed(0)
t = torch.randn(3, 3)   # we could also state explicitly the device to be the CPU with torch.randn(3,3,device="cpu")
print(t)
t_gpu = t.to("cuda:0")  # copies the tensor from CPU to GPU
print(t_gpu)
print(t_gpu.device)
