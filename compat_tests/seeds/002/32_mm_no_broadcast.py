# Seed 002 shows only the first line of this block; reconstructed from its title and output.
# torch.mm, unlike torch.matmul, does not broadcast.
import torch
a = torch.ones(2, 2, 3)
b = torch.ones(3, 4)
print(torch.matmul(a, b).shape)
torch.mm(a, b)
