"""The evaluation plan's rows, and recipe exploration, as parallel PyTorch jobs on a GPU host.

Not part of the product: an independent cross-check of the Java harness (engine/.../eval) for a lent GPU
machine with no Java. Several worker processes share the GPU (each job is launch-bound: batch 16,
small networks), each job writes one JSON line to --out as soon as it finishes, and the run stops at
--deadline seconds, keeping what finished.

Jobs:
  attack:  an attacker trained from scratch on a (protected) training set, tested on the clean test set,
           as eval/Attacker.java: Adam 5e-4, cosine over the epochs, batch 16, area resize to `size`,
           optional augmentation (AttackerAugmentation), JPEG re-compression of the training images,
           adversarial training (PGD, random start, step 2.5 rho / steps).
  explore: a generator trained by the PyTorch mirror of SegueTrainer (torch_segue_train.RUN7 plus the
           job's overrides), the training set protected as SegueModel does, attackers at several sizes.

Data folder layout (--data): webface10/{train,test}, celeb10/{train,test}, orl/s*/N.png, <model>.segue
(run7, run12, run19), official.npz, java/<model>/<class>/<file>.png (Java-written samples for the parity check),
ue/<class>/<file>.png (Java-written class-wise UE files the class noise is recovered from, see ue_class_noise).

Training sets besides the Segue models: 'webface10@lsp' (LspNoise.java ported bit for bit: Java's Random,
the seeds, the cluster and the layout; seed 0, 4x4 cells, RMS 8/255, as `protect-baseline --method lsp`) and
'webface10@ueclass' (the Java class-wise UE set, each class's noise recovered from a few of its files).
'webface10val/train' and 'webface10val/test' are training-tool/lab/plans/validation-split.sh's split: faces 0-99 and
100-129 of each WebFace10 training identity.
"""
import argparse, hashlib, io, json, math, os, sys, time, unicodedata
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_crosscheck import read_segue, load_generator, load_folder  # noqa: E402

EPS = 8 / 255


def name_code(name, bits=16):
    """LabelCode.labelForName: first bits of SHA-256 of the trimmed, NFC, lower-cased name."""
    n = unicodedata.normalize('NFC', name.strip()).lower()
    return int.from_bytes(hashlib.sha256(n.encode('utf-8')).digest()[:4], 'big') >> (32 - bits)


def code_bits(codes, bits=16):
    return torch.stack([(codes >> (bits - 1 - i)) & 1 for i in range(bits)], 1).float()


@torch.no_grad()
def protect(g, x, codes, gsize, dev):
    """SegueModel.perturbationsAtFullSize + apply: area to the generator size, G, bilinear back, 8 bit."""
    out = []
    for i in range(0, len(x), 128):
        xb = x[i:i + 128].to(dev)
        small = F.interpolate(xb, size=(gsize, gsize), mode='area') if tuple(xb.shape[-2:]) != (gsize, gsize) else xb
        d = g(small, code_bits(codes[i:i + 128].to(dev))).clamp(-EPS, EPS)
        if d.shape[-2:] != xb.shape[-2:]:
            d = F.interpolate(d, size=xb.shape[-2:], mode='bilinear', align_corners=False)
        out.append(((xb + d).clamp(0, 1) * 255).round().cpu() / 255)
    return torch.cat(out)


# ---- LSP, ported from engine/.../baseline/LspNoise.java --------------------------------------------------

M64 = (1 << 64) - 1


class JavaRandom:
    """java.util.Random: the 48-bit LCG, nextBoolean, nextDouble and the polar nextGaussian."""

    def __init__(self, seed):
        self.s = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)
        self.next_gaussian_value = None

    def next(self, bits):
        self.s = (self.s * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        r = self.s >> (48 - bits)
        return r - (1 << 32) if r >= 1 << 31 else r

    def next_boolean(self):
        return self.next(1) != 0

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * 2.0 ** -53

    def next_gaussian(self):
        if self.next_gaussian_value is not None:
            v, self.next_gaussian_value = self.next_gaussian_value, None
            return v
        while True:
            v1, v2 = 2 * self.next_double() - 1, 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        mul = math.sqrt(-2 * math.log(s) / s)
        self.next_gaussian_value = v2 * mul
        return v1 * mul


def splitmix(z):
    z &= M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class Lsp:
    """LspNoise(height, width, patch, eps, seed): noise_for(label, sample) as float32 CHW, as the Java class."""

    def __init__(self, height, width, patch, eps=np.float32(8) / np.float32(255), seed=0):
        self.h, self.w, self.p, self.eps, self.seed = height, width, patch, float(np.float32(eps)), seed
        self.rows, self.cols = (height + patch - 1) // patch, (width + patch - 1) // patch
        self.f = 3 * self.rows * self.cols
        self.clusters = {}

    def class_seed(self, label):
        return splitmix(self.seed * 0x9E3779B97F4A7C15 + label)

    def cluster(self, label):
        if label not in self.clusters:
            r = JavaRandom(self.class_seed(label) ^ 0x5DEECE66D)
            centroid = np.array([10.0 if r.next_boolean() else -10.0 for _ in range(self.f)])
            mixing = np.array([2 * r.next_double() - 1 for _ in range(self.f * self.f)]).reshape(self.f, self.f)
            self.clusters[label] = (centroid, mixing)
        return self.clusters[label]

    def noise_for(self, label, sample):
        centroid, mixing = self.cluster(label)
        r = JavaRandom(splitmix(self.class_seed(label) + sample))
        z = np.array([r.next_gaussian() for _ in range(self.f)])
        point = centroid.copy()
        for i in range(self.f):  # the Java loop's order of additions, so the doubles agree bit for bit
            point += z[i] * mixing[i]
        ys, xs = np.arange(self.h) // self.p, np.arange(self.w) // self.p
        cells = (ys[:, None] * self.cols + xs[None, :])                       # H x W
        v = np.stack([point[cells * 3 + c] for c in range(3)])                # 3 x H x W, doubles
        scale = self.eps * math.sqrt(v.size / float((v * v).sum()))
        return (v.astype(np.float32).astype(np.float64) * scale).astype(np.float32)


def lsp_protect(x, y):
    """LspNoise.protectFolder on a loaded folder (all images of one size): image k of a class gets sample k."""
    lsp = Lsp(x.shape[2], x.shape[3], max(1, min(x.shape[2], x.shape[3]) // 4))
    seen, out = {}, torch.empty_like(x)
    for i in range(len(x)):
        label = int(y[i]); k = seen.get(label, 0); seen[label] = k + 1
        out[i] = (x[i] + torch.from_numpy(lsp.noise_for(label, k))).clamp(0, 1)
    return (out * 255).round() / 255


def png_levels(path):
    """An image file as a 3 x H x W float tensor of 8-bit levels (0..255)."""
    return torch.from_numpy(np.asarray(Image.open(path).convert('RGB'))).permute(2, 0, 1).float()


def ue_class_noise(root, x, files):
    """The class-wise UE noise of each class, in 8-bit levels at the files' size, recovered from the Java-written
    files in root/ue/<class>/: where a value is not clipped, file - clean = the class noise (one pattern per class,
    resized to the file size), up to rounding and JPEG decoder differences; the median over the files takes it."""
    noise = {}
    for c in sorted(os.listdir(os.path.join(root, 'ue'))):
        deltas = []
        for f in sorted(os.listdir(os.path.join(root, 'ue', c))):
            png = png_levels(os.path.join(root, 'ue', c, f))
            clean = x[files.index(os.path.join(c, f[:-4] + '.jpg'))] * 255
            d = png - clean.round()
            d[(png == 0) | (png == 255)] = float('nan')
            deltas.append(d)
        noise[c] = torch.nanmedian(torch.stack(deltas), 0).values.nan_to_num(0)
    return noise


class Data:
    """Datasets and protected sets, loaded once per worker process."""

    def __init__(self, root, dev):
        self.root, self.dev, self.cache = root, dev, {}

    def folder(self, name):
        if name not in self.cache:
            if name.startswith('orl/'):
                self.cache[name] = self._orl(name.split('/')[1])
            elif name.startswith('webface10val/'):
                x, y, files, classes = self.folder('webface10/train')
                first = name.endswith('/train')
                keep = [i for i, f in enumerate(files) if (int(os.path.basename(f).split('.')[0]) < 100) == first]
                self.cache[name] = (x[keep], y[keep], [files[i] for i in keep], classes)
            else:
                x, y, files = load_folder(os.path.join(self.root, name))
                classes = sorted(os.listdir(os.path.join(self.root, name)),
                                 key=lambda s: (len(s), s) if s.isdigit() else (0, s))
                self.cache[name] = (x, y, files, classes)
        return self.cache[name]

    def _orl(self, part):
        """training-tool/lab/plans/prepare-sets.sh: faces 1-8 of each person train, 9-10 test."""
        people = sorted(os.listdir(os.path.join(self.root, 'orl')))
        xs, ys, files = [], [], []
        for i, p in enumerate(people):
            for k in (range(1, 9) if part == 'train' else (9, 10)):
                xs.append(np.asarray(Image.open(os.path.join(self.root, 'orl', p, '%d.png' % k)).convert('RGB')))
                ys.append(i); files.append('%s/%d.png' % (p, k))
        return torch.from_numpy(np.stack(xs)).permute(0, 3, 1, 2).float() / 255, torch.tensor(ys), files, people

    def generator(self, model):
        if model == 'official':
            return load_generator(dict(np.load(os.path.join(self.root, 'official.npz')))).to(self.dev), 224, False
        tensors, props = read_segue(os.path.join(self.root, model + '.segue'))
        return load_generator(tensors).to(self.dev), int(props['input.height']), True

    def training_set(self, spec):
        """'webface10' (clean), 'webface10@run7' (protected by a model, each identity with its folder
        name's code) or 'celeb10@run12:trained' (the paper's transfer protocol, as
        training-tool/lab/plans/transfer-trained-codes.sh: the identity at index i of the folder names in byte order
        takes the code of WebFace10's folder i mod 10, a code the generator was trained with)."""
        if spec in self.cache:
            return self.cache[spec]
        dataset, _, model = spec.partition('@')
        model, _, codes_from = model.partition(':')
        x, y, files, classes = self.folder(dataset + '/train')
        if model == 'lsp':
            x = lsp_protect(x, y)
        elif model == 'ueclass':
            noise = ue_class_noise(self.root, x, files)
            by_label = torch.stack([noise[c] for c in classes])
            x = ((x * 255).round() + by_label[y]).clamp(0, 255) / 255
        elif model:
            g, gsize, by_name = self.generator(model)
            if codes_from == 'trained':
                order = sorted(classes)
                names = [str(order.index(c) % 10) for c in classes]
            elif codes_from:
                raise ValueError('unknown codes ' + codes_from)
            else:
                names = classes
            codes = torch.tensor([name_code(names[int(v)]) if by_name else int(v) for v in y])
            x = protect(g, x, codes, gsize, self.dev)
        self.cache[spec] = (x, y)
        return x, y


# ---- attackers -------------------------------------------------------------------------------------

def network(arch, classes):
    if arch == 'resnet18':
        return torchvision.models.resnet18(num_classes=classes)
    if arch == 'resnet50':
        return torchvision.models.resnet50(num_classes=classes)
    if arch == 'mobilenetv2':
        return torchvision.models.mobilenet_v2(num_classes=classes)
    if arch == 'inception':
        return torchvision.models.googlenet(num_classes=classes, aux_logits=False, init_weights=True)
    if arch == 'efficientnet':
        return torchvision.models.efficientnet_b0(num_classes=classes)
    raise ValueError(arch)


def jpeg_files(x, quality):
    """Re-compresses every training image as a JPEG file at quality (PIL), as `evaluate --jpeg-quality`."""
    out = []
    for img in (x * 255).round().byte().permute(0, 2, 3, 1).numpy():
        buf = io.BytesIO(); Image.fromarray(img).save(buf, 'JPEG', quality=quality); buf.seek(0)
        out.append(np.asarray(Image.open(buf).convert('RGB')))
    return torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2).float() / 255


def blur5(x):
    k = torch.exp(-torch.arange(-2., 3.) ** 2 / 2); k = (k / k.sum()).to(x)
    c = x.shape[1]
    x = F.conv2d(F.pad(x, (2, 2, 0, 0), mode='reflect'), k.view(1, 1, 1, 5).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(x, (0, 0, 2, 2), mode='reflect'), k.view(1, 1, 5, 1).repeat(c, 1, 1, 1), groups=c)


def augment(kind, x, y, g):
    """AttackerAugmentation: returns images, labels, partner labels, weight of the first labels."""
    n, _, h, w = x.shape
    if kind == 'none':
        return x, y, y, 1.0
    if kind == 'blur':
        return blur5(x), y, y, 1.0
    if kind == 'cutout':
        x = x.clone(); side = round(min(h, w) * 0.5)
        for i in range(n):
            for _ in range(2):
                cy, cx = int(torch.randint(h, (1,), generator=g)), int(torch.randint(w, (1,), generator=g))
                x[i, :, max(0, cy - side // 2):min(h, cy + side // 2), max(0, cx - side // 2):min(w, cx + side // 2)] = 0
        return x, y, y, 1.0
    perm = torch.randperm(n, generator=g).to(x.device)
    if kind == 'mixup':
        wgt = torch.rand(1, generator=g).item()
        return wgt * x + (1 - wgt) * x[perm], y, y[perm], wgt
    if kind == 'cutmix':
        frac = torch.rand(1, generator=g).item()
        bh, bw = round(h * math.sqrt(frac)), round(w * math.sqrt(frac))
        cy, cx = int(torch.randint(h, (1,), generator=g)), int(torch.randint(w, (1,), generator=g))
        y0, y1, x0, x1 = max(0, cy - bh // 2), min(h, cy + bh // 2), max(0, cx - bw // 2), min(w, cx + bw // 2)
        x = x.clone(); x[:, :, y0:y1, x0:x1] = x[perm][:, :, y0:y1, x0:x1]
        return x, y, y[perm], 1 - (y1 - y0) * (x1 - x0) / (h * w)
    if kind == 'reframe':
        # random resized crop (area 0.8-1), shift up to 8%, rotation up to 10 degrees, one affine warp
        scale = torch.sqrt(0.8 + 0.2 * torch.rand(n, generator=g))
        ang = (torch.rand(n, generator=g) * 2 - 1) * math.radians(10)
        t = (torch.rand(n, 2, generator=g) * 2 - 1) * 0.08 * 2
        th = torch.zeros(n, 2, 3)
        th[:, 0, 0] = scale * torch.cos(ang); th[:, 0, 1] = -scale * torch.sin(ang)
        th[:, 1, 0] = scale * torch.sin(ang); th[:, 1, 1] = scale * torch.cos(ang); th[:, :, 2] = t
        grid = F.affine_grid(th.to(x), list(x.shape), align_corners=False)
        return F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False), y, y, 1.0
    raise ValueError(kind)


def attack(train_x, train_y, test_x, test_y, size, arch='resnet18', aug='none', adv=0, adv_steps=5,
           epochs=15, seed=0, dev='cuda'):
    torch.manual_seed(seed)
    classes = int(train_y.max()) + 1
    net = network(arch, classes).to(dev)
    opt = torch.optim.Adam(net.parameters(), 5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)

    def prep(x):
        x = x.to(dev)
        return F.interpolate(x, size=(size, size), mode='area') if tuple(x.shape[-2:]) != (size, size) else x
    xtr, xte = prep(train_x), prep(test_x)
    ytr, yte = train_y.to(dev), test_y.to(dev)
    g = torch.Generator().manual_seed(seed)
    rho = adv / 255
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(perm), 16):
            idx = perm[i:i + 16].to(dev)
            xb, ya, yb, wgt = augment(aug, xtr[idx], ytr[idx], g)
            if rho > 0:
                for p in net.parameters():
                    p.requires_grad_(False)
                delta = (torch.rand_like(xb) * 2 - 1) * rho
                for _ in range(adv_steps):
                    delta.requires_grad_(True)
                    out = net((xb + delta).clamp(0, 1))
                    l = wgt * F.cross_entropy(out, ya) + (1 - wgt) * F.cross_entropy(out, yb)
                    gr, = torch.autograd.grad(l, delta)
                    delta = (delta.detach() + gr.sign() * 2.5 * rho / adv_steps).clamp(-rho, rho)
                for p in net.parameters():
                    p.requires_grad_(True)
                xb = (xb + delta).clamp(0, 1)
            out = net(xb)
            loss = wgt * F.cross_entropy(out, ya) + (1 - wgt) * F.cross_entropy(out, yb)
            opt.zero_grad(); loss.backward(); opt.step()
        sched.step()
    net.eval()
    with torch.no_grad():
        pred = torch.cat([net(xte[i:i + 256]).argmax(1) for i in range(0, len(xte), 256)])
    return (pred == yte).float().mean().item()


# ---- jobs ------------------------------------------------------------------------------------------

DATA = None


def init_worker(root, threads):
    global DATA
    torch.set_num_threads(threads)
    torch.backends.cudnn.benchmark = True
    DATA = Data(root, os.environ.get('SEGUE_DEV', 'cuda'))


def run_job(job):
    t0 = time.time()
    try:
        if job['kind'] == 'attack':
            x, y = DATA.training_set(job['train'])
            if job.get('jpeg'):
                x = jpeg_files(x, job['jpeg'])
            tx, ty = DATA.folder(job['test'])[:2]
            accs = [attack(x, y, tx, ty, job.get('size', 112), job.get('arch', 'resnet18'), job.get('aug', 'none'),
                           job.get('adv', 0), epochs=job.get('epochs', 15), seed=s, dev=DATA.dev) for s in job.get('seeds', [0])]
            return {**job, 'acc': float(np.mean(accs)), 'accs': accs, 'seconds': time.time() - t0}
        if job['kind'] == 'explore':
            import torch_segue_train as mirror
            cfg = {**mirror.RUN7, **job['cfg']}
            x, y, files, classes = DATA.folder('webface10/train')
            codes = torch.tensor([name_code(classes[int(v)]) if cfg['codes'] == 'name' else int(v) for v in y])
            labels, train_codes, k = y, codes, int(y.max()) + 1
            if cfg['groups']:
                # identity-free training: random balanced groups, each with a random 16-bit code, so the
                # generator must make ANY code a learnable shortcut (users' name codes are unseen codes)
                g = torch.Generator().manual_seed(cfg['seed'] + 7)
                k = cfg['groups']
                labels = torch.randperm(len(y), generator=g) % k
                group_codes = torch.randperm(1 << 16, generator=g)[:k]
                train_codes = group_codes[labels]
            xs = F.interpolate(x, size=(cfg['size'], cfg['size']), mode='area')
            G, hist, gsize = mirror.train(cfg, xs, labels, k, DATA.dev, code_bits(train_codes))
            prot = protect(G, x, codes, gsize, DATA.dev)
            tx, ty = DATA.folder('webface10/test')[:2]
            mse = ((prot - x) ** 2).flatten(1).mean(1)
            row = {**job, 'train_s': time.time() - t0, 'epochs_run': len(hist), 'ce_by_epoch': [round(h, 4) for h in hist],
                   'psnr_db': (10 * torch.log10(1 / mse)).mean().item()}
            partial = os.environ.get('SEGUE_PARTIAL')
            for ev in job.get('evals', ['112', '64', '224']):
                if ev.isdigit():
                    row['acc_' + ev] = attack(prot, y, tx, ty, int(ev), epochs=job.get('attack_epochs', 15), dev=DATA.dev)
                elif ev.startswith('adv'):
                    row['acc_' + ev] = attack(prot, y, tx, ty, 112, adv=int(ev[3:]), epochs=job.get('attack_epochs', 15), dev=DATA.dev)
                else:  # transfer: another dataset protected with its identities' name codes
                    ox, oy, _, ocls = DATA.folder(ev + '/train')
                    ocodes = torch.tensor([name_code(ocls[int(v)]) for v in oy])
                    oprot = protect(G, ox, ocodes, gsize, DATA.dev)
                    otx, oty = DATA.folder(ev + '/test')[:2]
                    row['acc_' + ev] = attack(oprot, oy, otx, oty, 112, epochs=job.get('attack_epochs', 15), dev=DATA.dev)
                if partial:  # so a run cut off at its deadline keeps what each exploration measured so far
                    with open(partial, 'a') as f:
                        f.write(json.dumps({k2: v for k2, v in row.items() if k2 != 'ce_by_epoch'}) + '\n')
            row['seconds'] = time.time() - t0
            return row
        if job['kind'] == 'parity':
            model = job.get('model', 'run7')
            x, _ = DATA.training_set('webface10@' + model)  # also lsp and ueclass
            files = DATA.folder('webface10/train')[2]
            diffs = []
            base = os.path.join(DATA.root, 'java', model)
            for c in sorted(os.listdir(base)):
                for f in sorted(os.listdir(os.path.join(base, c))):
                    j = png_levels(os.path.join(base, c, f))
                    i = files.index(os.path.join(c, f[:-4] + '.jpg'))
                    diffs.append((j - x[i] * 255).abs().max().item())
            clean = DATA.folder('webface10/train')[0]
            return {**job, 'samples': len(diffs), 'max_level_diff': max(diffs), 'linf_levels': ((x - clean) * 255).abs().max().item(),
                    'seconds': time.time() - t0}
        raise ValueError(job['kind'])
    except Exception as e:  # one bad job must not stop the others
        import traceback
        return {**job, 'error': repr(e), 'trace': traceback.format_exc()[-1500:], 'seconds': time.time() - t0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True); ap.add_argument('--jobs', required=True); ap.add_argument('--out', required=True)
    ap.add_argument('--workers', type=int, default=8); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--deadline', type=float, default=1e9)
    a = ap.parse_args()
    jobs = json.load(open(a.jobs))
    import multiprocessing as mp
    ctx = mp.get_context('spawn')
    t0 = time.time()
    done = 0
    with open(a.out, 'a') as out, ctx.Pool(a.workers, init_worker, (a.data, a.threads), maxtasksperchild=None) as pool:
        it = pool.imap_unordered(run_job, jobs, chunksize=1)
        while done < len(jobs):
            left = a.deadline - (time.time() - t0)
            if left <= 0:
                print('deadline reached: %d of %d jobs done' % (done, len(jobs)), flush=True)
                break
            try:
                row = it.next(timeout=left)
            except mp.TimeoutError:
                continue
            row['device'] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu'
            row['torch'] = torch.__version__
            out.write(json.dumps(row) + '\n'); out.flush(); done += 1
            print('%6.0fs %s' % (time.time() - t0, json.dumps({k: v for k, v in row.items() if k not in ('trace', 'ce_by_epoch')})), flush=True)
        pool.terminate()


if __name__ == '__main__':
    main()
