# Seed 004 In[10]; torch.manual_seed added so rand/randn are reproducible.
import torch
torch.manual_seed(0)
t = torch.zeros(2, 3)
t_zeros = torch.zeros_like(t)            # zeros_like returns a new tensor
t_ones = torch.ones(2, 3)                # creates a tensor with 1s
t_fives = torch.empty(2, 3).fill_(5)     # creates a non-initialized tensor and fills it with 5
t_random = torch.rand(2, 3)              # creates a uniform random tensor
t_normal = torch.randn(2, 3)             # creates a normal random tensor with the specified dimensions

print(t_zeros)
print(t_ones)
print(t_fives)
print(t_random)
print(t_normal)
