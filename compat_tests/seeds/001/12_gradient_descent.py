# Seed 001 In[13] (visualize_results dropped: plotting only; the steps are printed).
import numpy as np
import torch  # PyTorch library
def objective(theta):
    return theta*torch.cos(4*theta) + 2*torch.abs(theta)

def gradient_descent(objective, step_size=0.05, max_iter=100, init=0):
    # Initialize
    theta_hat = torch.tensor(init, requires_grad=True)
    theta_hat_arr = [theta_hat.detach().numpy().copy()]
    obj_arr = [objective(theta_hat).detach().numpy()]
    # Iterate
    for i in range(max_iter):
        # Compute gradient
        if theta_hat.grad is not None:
            theta_hat.grad.zero_()
        out = objective(theta_hat)
        out.backward()

        # Update theta in-place
        with torch.no_grad():
            theta_hat -= step_size * theta_hat.grad
        theta_hat_arr.append(theta_hat.detach().numpy().copy())
        obj_arr.append(objective(theta_hat).detach().numpy())
    return np.array(theta_hat_arr), np.array(obj_arr)


# 0.05 doesn't escape, 0.07 does, 0.15 gets much closer
for step in (0.05, 0.07, 0.15):
    theta_hat_arr, obj_arr = gradient_descent(
        objective, step_size=step, init=-3.5, max_iter=100)
    print(step, theta_hat_arr[-3:], obj_arr[-1], theta_hat_arr.dtype)
