# Seed 003 concatenation; the earlier cells' draws are replayed (silently) so the
# generator is where the tutorial's was.
import torch

torch.manual_seed(1)
x = torch.randn((3, 4, 5))
# By default, it concatenates along the first axis (concatenates rows)
x_1 = torch.randn(2, 5)
y_1 = torch.randn(3, 5)
z_1 = torch.cat([x_1, y_1])
print(z_1)

# Concatenate columns:
x_2 = torch.randn(2, 3)
y_2 = torch.randn(2, 5)
# second arg specifies which axis to concat along
z_2 = torch.cat([x_2, y_2], 1)
print(z_2)
