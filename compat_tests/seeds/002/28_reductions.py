# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Reduction functions
x = torch.tensor([[1., 2., 3.], [4., 5., 6.], [6., 2., 1.]])
print(torch.sum(x), torch.sum(x, dim=0), torch.mean(x), torch.mean(x, 1))
print(torch.median(x), torch.median(x, 0))
print(torch.mode(torch.tensor([1, 2, 2, 3, 3, 3])))
print(torch.std(x), torch.var(x, 1), torch.prod(x), torch.max(x), torch.min(x, 1))
print(torch.argmax(x), torch.argmin(x, 0), torch.unique(torch.tensor([3, 1, 2, 3, 1])))
