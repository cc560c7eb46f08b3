"""The LSTM benchmark's architecture in PyTorch (CPU): embedding -> LSTM -> linear + softmax over 4 states, Adam 1e-3,
windows of 100 frames, batches of 64. Prints RESULT lines like NeuralBenchmark.java.
  python3 torch_lstm.py THREADS"""
import sys
import time

import torch

from torch_chain import chain

threads = int(sys.argv[1])
torch.set_num_threads(threads)
torch.manual_seed(1)


class Model(torch.nn.Module):
    def __init__(self, states, embedding, units):
        super().__init__()
        self.embed = torch.nn.Embedding(states, embedding)
        self.lstm = torch.nn.LSTM(embedding, units, batch_first=True)
        self.out = torch.nn.Linear(units, states)

    def forward(self, x, state=None):
        h, state = self.lstm(self.embed(x), state)
        return self.out(h), state


for size, (embedding, units) in (("tsai", (8, 64)), ("zeng", (128, 1024))):
    model = Model(4, embedding, units)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    batches = 3 if size == "zeng" else 40
    data = chain(64 * batches, 101)

    def epoch(n):
        for b in range(n):
            w = data[b * 64:(b + 1) * 64]
            logits, _ = model(w[:, :-1])
            loss = loss_fn(logits.reshape(-1, 4), w[:, 1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()

    epoch(batches)  # warm-up, as many batches as timed (as NeuralBenchmark.java)
    t0 = time.perf_counter()
    epoch(batches)
    seconds = time.perf_counter() - t0
    sequences = 64.0 * batches
    print(f"RESULT\ttorch-train-sequences\t{size}\t{threads}\t{seconds / sequences:.4f}\t{sequences / seconds:.1f}")

    with torch.no_grad():
        for parallel in (1, 100):
            length = (300 if parallel == 1 else 100) if size == "zeng" else (20000 if parallel == 1 else 2000)

            def generate(steps):
                x = torch.arange(parallel).remainder(4).unsqueeze(1)
                state = None
                for _ in range(steps - 1):
                    logits, state = model(x, state)
                    x = torch.multinomial(torch.softmax(logits[:, -1], dim=-1), 1)

            generate(length)  # warm-up
            t0 = time.perf_counter()
            generate(length)
            seconds = time.perf_counter() - t0
            tokens = parallel * (length - 1.0)
            print(f"RESULT\ttorch-generate-{parallel}\t{size}\t{threads}\t{seconds / tokens:.4g}\t{tokens / seconds:.1f}")
    sys.stdout.flush()
