# Seed 003 "Operations with Tensors".
import torch
x = torch.tensor([1., 2., 3.])
y = torch.tensor([4., 5., 6.])
z = x + y
print(z)
