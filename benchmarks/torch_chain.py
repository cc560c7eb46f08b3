"""Training data of the PyTorch benchmarks: trajectories of the 4-state birth-death chain of NeuralBenchmark.java."""
import torch


def chain(n, length):
    p = torch.tensor([[0.9, 0.1, 0, 0], [0.05, 0.9, 0.05, 0], [0, 0.05, 0.9, 0.05], [0, 0, 0.1, 0.9]])
    x = torch.zeros(n, length, dtype=torch.long)
    x[:, 0] = torch.randint(0, 4, (n,))
    for i in range(1, length):
        x[:, i] = torch.multinomial(p[x[:, i - 1]], 1).squeeze(1)
    return x
