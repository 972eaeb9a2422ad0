# Seed 000 "Implicit broadcasting"; manual_seed and prints added.
import torch
torch.manual_seed(0)
a = torch.rand((3, 3))
b = torch.rand((1, 3))
c = a + b
print(a)
print(b)
print(c)
