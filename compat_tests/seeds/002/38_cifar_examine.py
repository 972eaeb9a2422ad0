# Seed 002 "Examine the training dataset" / "Check the class labels".
# Synthetic stand-in for CIFAR-10 (no downloads): random 3x32x32 images, 10 classes.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
classes = ('plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck')
images = torch.rand(256, 3, 32, 32)
labels = torch.randint(0, 10, (256,))
# transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)), written out
mean = torch.tensor([0.4914, 0.4822, 0.4465]).view(3, 1, 1)
std = torch.tensor([0.2023, 0.1994, 0.2010]).view(3, 1, 1)
train_data = TensorDataset((images - mean) / std, labels)

print(len(train_data))
data, label = train_data[0]
print(data.shape, data.dtype, label, classes[label])
print(data)
