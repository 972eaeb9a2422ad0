# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Compute gradients
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
y = w * x + b
y.backward()
print(x.grad, w.grad, b.grad)
f = 3 * x ** 2 - 4 * x + 5
x.grad = None
f.backward()
print(x.grad)
