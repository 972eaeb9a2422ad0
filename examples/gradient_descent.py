"""Seed 001: gradient descent on a non-convex objective, theta * cos(4 theta) + 2 |theta|,
with three step sizes (0.05 stays in a local minimum, 0.07 escapes, 0.15 gets closer).

    python -m jtorch run examples/gradient_descent.py
"""
import numpy as np
import torch


def objective(theta):
    return theta * torch.cos(4 * theta) + 2 * torch.abs(theta)


def gradient_descent(objective, step_size=0.05, max_iter=100, init=0.):
    theta_hat = torch.tensor(init, requires_grad=True)
    path = [theta_hat.item()]
    for _ in range(max_iter):
        if theta_hat.grad is not None:
            theta_hat.grad.zero_()
        objective(theta_hat).backward()
        with torch.no_grad():
            theta_hat -= step_size * theta_hat.grad
        path.append(theta_hat.item())
    return np.array(path)


theta = torch.linspace(-5, 5, 1000)
best = float(theta[torch.argmin(objective(theta))])
print(f"grid minimum: theta = {best:.4f}")
for step in (0.05, 0.07, 0.15):
    path = gradient_descent(objective, step_size=step, init=-3.5)
    final = torch.tensor(path[-1])
    print(f"step {step:.2f}: theta = {path[-1]: .4f}, objective = {objective(final).item():.4f}")
