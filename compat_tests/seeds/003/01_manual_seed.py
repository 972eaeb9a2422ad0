# Seed 003: the notebook shows the Generator returned by manual_seed.
import torch
print(torch.manual_seed(1))
