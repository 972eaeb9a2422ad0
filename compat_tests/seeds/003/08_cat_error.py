# Seed 003: "If your tensors are not compatible, torch will complain" (uncommented).
import torch
torch.manual_seed(1)
x_1 = torch.randn(2, 5)
x_2 = torch.randn(2, 3)
torch.cat([x_1, x_2])
