# Seed 000 "Activation functions"; manual_seed and prints added.
import torch
import torch.nn
import torch.nn.functional as F
torch.manual_seed(0)
t1 = torch.rand((2, 10))
t2 = torch.relu(t1); print(t2)
t2 = torch.tanh(t1); print(t2)
t2 = torch.sigmoid(t1); print(t2)
torch.relu_(t1); print(t1)
torch.tanh_(t1); print(t1)
torch.sigmoid_(t1); print(t1)
t1 = torch.rand((2, 10)) - 0.5
t2 = F.leaky_relu(t1); print(t2)
t2 = F.leaky_relu_(t1); print(t2)
t2 = F.elu(t1); print(t2)
t2 = F.elu_(t1); print(t2)
