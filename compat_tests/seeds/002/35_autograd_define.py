# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Define tensors
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
y = w * x + b
print(x, w, b)
print(y)
