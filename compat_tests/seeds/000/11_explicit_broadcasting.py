# Seed 000 "Explicit broadcasting"; manual_seed and prints added.
import torch
torch.manual_seed(0)
a = torch.rand((3, 3))
b = torch.rand((1, 3))
# explicitly copy the data
print(b.repeat((3, 1)))
# implicit construction
# (no duplicated memory)
e = b.expand((3, -1))
print(e, e.stride())
