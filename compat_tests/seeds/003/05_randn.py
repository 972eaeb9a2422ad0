# Seed 003 randn after torch.manual_seed(1).
import torch

torch.manual_seed(1)
x = torch.randn((3, 4, 5))
print(x)
