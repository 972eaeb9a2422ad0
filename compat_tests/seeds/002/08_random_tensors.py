# Seed 002 rand/randn/randint; torch.manual_seed added.
import torch
torch.manual_seed(0)
# tensors initialized by size with random values
# returns a tensor filled with random numbers from a uniform distribution
tensor_rand_un = torch.rand(4, 5)
print("tensor_rand_un :", tensor_rand_un)
# returns a tensor filled with random numbers from a normal distribution
tensor_rand_norm = torch.randn(4, 5)
print("tensor_rand_norm :", tensor_rand_norm)
# returns a tensor filled with random integers generated uniformly (from 5 to 10)
tensor_rand_int = torch.randint(5, 10, (4, 5))
print("tensor_rand_int :", tensor_rand_int)
