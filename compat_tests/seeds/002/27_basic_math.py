# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import math
import torch
#@title Basic math function
x = torch.tensor([[1.5, -2.5, 3.0], [-4.0, 5.5, -6.2]])
y = torch.tensor([[2., 2., 2.], [3., 3., 3.]])
print(torch.add(x, 1), torch.mul(x, y), torch.div(x, y), torch.neg(x))
print(torch.true_divide(torch.tensor([5, 7]), 2))
print(torch.ceil(x), torch.floor(x), torch.clamp(x, min=-3, max=3))
print(torch.abs(x), torch.sqrt(torch.abs(x)), torch.exp(torch.tensor([0., 1.])))
print(torch.logical_and(x > 0, y > 2), torch.logical_not(x > 0))
print(torch.sin(torch.tensor([0, math.pi / 2])), torch.cos(torch.tensor([0., math.pi])),
      torch.tanh(x))
