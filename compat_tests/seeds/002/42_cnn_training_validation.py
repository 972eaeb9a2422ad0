# Seed 002 "Train the network" with validation (synthetic data).
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


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1) # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

trainloader = DataLoader(train_data, batch_size=32, shuffle=True)
model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
for epoch in range(2):  # loop over the dataset multiple times (cut to 2 epochs)
    running_loss = 0.0
    for i, (inputs, labels) in enumerate(trainloader):
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"Epoch: {epoch} Loss: {running_loss / len(trainloader)}")

val_data = TensorDataset(torch.rand(64, 3, 32, 32), torch.randint(0, 10, (64,)))
valloader = DataLoader(val_data, batch_size=32)
val_loss, correct = 0.0, 0
with torch.no_grad():
    model.eval()
    for inputs, labels in valloader:
        outputs = model(inputs)
        val_loss += criterion(outputs, labels).item()
        correct += (outputs.argmax(1) == labels).sum().item()
print(f"Validation loss: {val_loss / len(valloader)} accuracy: {correct / len(val_data)}")
