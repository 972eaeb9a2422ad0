# Seed 000 "In-place operations"; data and prints added (deterministic values).
import torch
t1 = torch.arange(1., 17.).view(4, 4)
t2 = torch.full((4, 4), 2.)
t1.add_(t2); print(t1)
t1.sub_(t2); print(t1)
t1.mul_(t2); print(t1)
t1.div_(t2); print(t1)
print(t1._version)
