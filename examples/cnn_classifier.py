"""Seed 002: the CIFAR-10 CNN (conv-pool-conv-pool-fc-fc-fc), trained with SGD+momentum and
evaluated per class, on a synthetic stand-in of CIFAR-10's shapes (no download): 3x32x32
images whose class shifts the mean of one colour channel, so there is something to learn.

    python -m jtorch run examples/cnn_classifier.py [--epochs 2]
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

classes = ('plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck')


def synthetic_cifar(n):
    labels = torch.randint(0, 10, (n,))
    images = torch.rand(n, 3, 32, 32)
    # class k brightens channel k % 3 by an amount growing with k
    bump = (labels.float() / 10).view(-1, 1, 1)
    for c in range(3):
        images[:, c] += bump * (labels % 3 == c).float().view(-1, 1, 1)
    mean = torch.tensor([0.4914, 0.4822, 0.4465]).view(3, 1, 1)
    std = torch.tensor([0.2023, 0.1994, 0.2010]).view(3, 1, 1)
    return TensorDataset((images - mean) / std, labels)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(0)
    trainloader = DataLoader(synthetic_cifar(512), batch_size=32, shuffle=True)
    testloader = DataLoader(synthetic_cifar(256), batch_size=64)
    net = Net()
    print(net)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(args.epochs):
        running = 0.0
        for inputs, labels in trainloader:
            optimizer.zero_grad()
            loss = criterion(net(inputs), labels)
            loss.backward()
            optimizer.step()
            running += loss.item()
        print(f"epoch {epoch}: loss {running / len(trainloader):.4f}")

    correct = {c: 0 for c in classes}
    total = {c: 0 for c in classes}
    net.eval()
    with torch.no_grad():
        for images, labels in testloader:
            predictions = net(images).argmax(1)
            for label, pred in zip(labels, predictions):
                name = classes[label]
                total[name] += 1
                correct[name] += int(label == pred)
    print(f"accuracy: {100 * sum(correct.values()) / sum(total.values()):.1f}%")
    for c in classes:
        print(f"  {c:5s}: {100 * correct[c] / max(total[c], 1):.1f}%")


if __name__ == "__main__":
    main()
