# Seed 004 In[36]-In[39] (plt.scatter dropped); the tensors are printed.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.data as data
import numpy as np
import math

np.random.seed(0)      # added: the seed draws its data unseeded
torch.manual_seed(0)   # added

device = torch.device("cuda:0") if torch.cuda.is_available() else torch.device("cpu")
M = 1200

# sample from the x axis M points
x = np.random.rand(M) * 2*math.pi

# add noise
eta = np.random.rand(M) * 0.01

# compute the function
y = np.sin(x) + eta

# use the NumPy-PyTorch bridge
x_train = torch.tensor(x[0:1000]).float().view(-1, 1).to(device)
y_train = torch.tensor(y[0:1000]).float().view(-1, 1).to(device)

x_test = torch.tensor(x[1000:]).float().view(-1, 1).to(device)
y_test = torch.tensor(y[1000:]).float().view(-1, 1).to(device)
print(x_train.shape, y_train.dtype, x_test[:3], y_test[:3])
