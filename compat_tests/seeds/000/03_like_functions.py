# Seed 000 "*_like() functions" (t defined as in the previous slide; prints added).
import torch
t = torch.ones((2, 4, 4), dtype=torch.float, requires_grad=True)
t2 = torch.zeros_like(t)
t_bool = torch.zeros_like(t, dtype=torch.bool)
print(t2)
print(t_bool)
print(t2.requires_grad, t_bool.dtype)
