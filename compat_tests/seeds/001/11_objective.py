# Seed 001 In[12] (plotting dropped; the values it plotted are printed instead).
import numpy as np
import torch  # PyTorch library
def objective(theta):
    return theta*torch.cos(4*theta) + 2*torch.abs(theta)

theta = torch.linspace(-5, 5)
y = objective(theta)
theta_true = float(theta[np.argmin(y)])
print(theta_true)
print(y[:5], y.shape)
