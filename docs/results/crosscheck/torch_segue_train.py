"""PyTorch mirror of the Java SegueTrainer (engine/.../train/SegueTrainer.java), used on a GPU host only to
explore training recipes quickly before spending CPU hours on the Java trainer. Not part of the product.
Each config trains a generator on WebFace10 at --size, protects the training set at full resolution the
way the Java engine does, and reports attacker accuracy (torch_crosscheck.attacker_accuracy)."""
import argparse, json, math, os, time
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision
from torch_crosscheck import Generator, code_of, load_folder, protect, attacker_accuracy


def blur3(x, sigma):
    side = math.exp(-1 / (2 * sigma * sigma)); k1 = torch.tensor([side, 1, side]) / (1 + 2 * side)
    k = (k1[:, None] * k1[None, :]).to(x)[None, None].repeat(3, 1, 1, 1)
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode='reflect'), k, groups=3)


def sharpness(x, f):
    k = torch.tensor([[1., 1, 1], [1, 5, 1], [1, 1, 1]], device=x.device)[None, None].repeat(3, 1, 1, 1) / 13
    inner = F.conv2d(x, k, groups=3)
    diff = F.pad((x[:, :, 1:-1, 1:-1] - inner) * (f - 1), (1, 1, 1, 1))
    return (x + diff).clamp(0, 1)


def distort(x, cfg, g):
    x = blur3(x, 0.2); x = sharpness(x, 2.0)
    for axis in (3, 2):
        m = (torch.rand(x.shape[0], 1, 1, 1, generator=g) < 0.1).float().to(x)
        x = x.flip(axis) * m + x * (1 - m)
    if cfg['rescale_p'] > 0 and torch.rand(1, generator=g).item() < cfg['rescale_p']:
        f = 1 + torch.rand(1, generator=g).item() * (cfg['rescale_max'] - 1)
        h = x.shape[-1]; s = max(1, round(h / f))
        if s != h:
            x = F.interpolate(F.interpolate(x, size=(s, s), mode='area'), size=(h, h), mode='bilinear', align_corners=False).clamp(0, 1)
    return x


def init_generator(seed):
    torch.manual_seed(seed)
    g = Generator()
    for m in g.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return g


def train(cfg, x, y, classes, dev):
    G = init_generator(cfg['seed']).to(dev)
    S = torchvision.models.resnet18(num_classes=classes).to(dev)
    og = torch.optim.Adam(G.parameters(), cfg['g_lr']); os_ = torch.optim.Adam(S.parameters(), 5e-4)
    E, every, eps, rho, steps = cfg['epochs'], cfg['every'], 8 / 255, 1 / 255, cfg['pgd']
    s_epochs = (E + every - 1) // every
    rng = torch.Generator().manual_seed(cfg['seed'])
    x, y = x.to(dev), y.to(dev); codes = code_of(y)
    hist = []
    s_done = 0
    for epoch in range(1, E + 1):
        if epoch % every == 1 % every:
            for pg in os_.param_groups:
                pg['lr'] = 5e-4 * 0.5 * (1 + math.cos(math.pi * s_done / s_epochs))
            s_done += 1
            S.train(); [p.requires_grad_(True) for p in S.parameters()]
            perm = torch.randperm(len(x), generator=rng).to(dev)
            for i in range(0, len(x), 16):
                idx = perm[i:i + 16]
                with torch.no_grad():
                    xp = (x[idx] + G(x[idx], codes[idx]).clamp(-eps, eps)).clamp(0, 1)
                loss = F.cross_entropy(S(xp), y[idx]); os_.zero_grad(); loss.backward(); os_.step()
        for pg in og.param_groups:
            pg['lr'] = cfg['g_lr'] * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / E))
        [p.requires_grad_(False) for p in S.parameters()]
        perm = torch.randperm(len(x), generator=rng).to(dev)
        ces = []
        for i in range(0, len(x), 16):
            idx = perm[i:i + 16]; xb, yb = x[idx], y[idx]
            adv = torch.zeros_like(xb)
            for _ in range(steps):
                adv.requires_grad_(True)
                l = F.cross_entropy(S((xb + adv).clamp(0, 1)), yb)
                gr, = torch.autograd.grad(l, adv)
                adv = (adv.detach() + gr.sign() * rho / steps).clamp(-rho, rho)
            raw = G((xb + adv).clamp(0, 1), codes[idx])
            xp = (xb + raw.clamp(-eps, eps)).clamp(0, 1)
            ce = F.cross_entropy(S(distort(xp, cfg, rng)), yb)
            loss = ce + 0.001 * raw.flatten(1).norm(dim=1).mean()
            og.zero_grad(); loss.backward(); og.step(); ces.append(ce.item())
        hist.append(sum(ces) / len(ces))
    return G.eval(), hist


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True); ap.add_argument('--configs', required=True); ap.add_argument('--out', required=True)
    ap.add_argument('--attack-epochs', type=int, default=20); ap.add_argument('--sizes', default='224,112')
    a = ap.parse_args(); dev = 'cuda'
    xtr, ytr, _ = load_folder(os.path.join(a.data, 'train')); xte, yte, _ = load_folder(os.path.join(a.data, 'test'))
    results = []
    for cfg in json.loads(a.configs):
        t0 = time.time()
        xs = F.interpolate(xtr, size=(cfg['size'], cfg['size']), mode='area') if cfg['size'] != xtr.shape[-1] else xtr
        G, hist = train(cfg, xs, ytr, int(ytr.max()) + 1, dev)
        prot = protect(G, xtr, ytr, cfg['size'])
        row = {'cfg': cfg, 'train_s': time.time() - t0, 'ce_by_epoch': [round(h, 4) for h in hist]}
        for s in [int(v) for v in a.sizes.split(',')]:
            row['acc_%d' % s] = attacker_accuracy(prot, ytr, xte, yte, s, a.attack_epochs, 0)
        results.append(row); print(json.dumps(row), flush=True)
        json.dump(results, open(a.out, 'w'), indent=1)


if __name__ == '__main__':
    main()
