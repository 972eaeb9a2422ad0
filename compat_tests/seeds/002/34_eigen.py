# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Computing eigenvalues and eigenvectors
a = torch.tensor([[2., 1.], [1., 2.]])
eigenvalues, eigenvectors = torch.linalg.eig(a)
print(eigenvalues)
print(eigenvectors)
print(torch.linalg.eig(a))
