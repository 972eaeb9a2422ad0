# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import numpy as np
import torch
# initialize a tensor from a ndarray
ndarray = np.array([[1, 2, 3], [4, 5, 6]])
tensor_from_ndarray = torch.from_numpy(ndarray)
print(tensor_from_ndarray)
print(torch.tensor(np.array([0.5, 1.5])))
