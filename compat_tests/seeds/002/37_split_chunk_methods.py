# Seed 002 "Split tensors to form new tensor" (the calls it lists, on a 16-element tensor).
import torch
t = torch.arange(16)
print(t.chunk(chunks=4, dim=0))
print(t.chunk(chunks=4))
print(t[:8].split([5, 3], dim=0))
print(t.split([4, 6, 6]))
