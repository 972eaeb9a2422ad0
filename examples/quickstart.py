"""Quickstart: tensors, autograd, a module, an optimizer — plain torch code.

    python -m jtorch run examples/quickstart.py    # on jtorch (JAX)
    python examples/quickstart.py                  # on torch, if installed: same output
"""
import torch
import torch.nn as nn

torch.manual_seed(0)

# tensors and dtypes
x = torch.tensor([[1., 2.], [3., 4.]])
print(x, x.dtype, x.shape)
print(torch.arange(6).reshape(2, 3).sum(1))          # int64, as torch

# autograd
w = torch.randn(2, 2, requires_grad=True)
y = (x @ w).tanh().sum()
y.backward()
print(y)
print(w.grad)

# a module and one optimisation step
model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
print(model)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
target = torch.tensor([[1.], [0.]])
for step in range(3):
    loss = nn.functional.mse_loss(model(x), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss)
