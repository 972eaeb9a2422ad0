# Seed 000 "clone()".
import torch
t1 = torch.ones((1,))
t2 = t1.clone()
t2[0] = 3
print(t1, t2)
