"""Exit-rule probe (docs/training.md, "How the confidence branch was chosen").

Reads what Dump.java wrote for one model package (per early exit: pooled features, log-probabilities, the
package's confidence; labels) for the training (55,000), validation (5,000) and test (10,000) images, fits
confidence branches offline (logistic regression, Newton or gradient steps) with several inputs and targets,
and compares each rule with max-softmax on the test set at equal average cost (interpolated, cost 0.11-0.5).
Usage: python3 probe.py DUMP_DIR
"""
import numpy as np, sys
D=sys.argv[1]; COSTS=np.array([0.110,0.216,1.0]); LAM=0.1
def ld(split, name, cols):
    a=np.fromfile(f"{D}/{split}-{name}.f32", dtype='<f4'); return a.reshape(-1,cols) if cols>1 else a
S={}
for sp in ['train','val','test']:
    lab=np.fromfile(f"{D}/{sp}-labels.f32",dtype='<i4')
    d={'y':lab,'logp':[ld(sp,f'logp{e}',10) for e in range(3)],'feat':[ld(sp,f'feat{e}',256) for e in range(2)],
       'conf':[ld(sp,f'conf{e}',1) for e in range(2)]}
    S[sp]=d
def stats(logp):
    s=np.sort(logp,1); margin=s[:,-1]-s[:,-2]; top=s[:,-1]; ne=(np.exp(logp)*logp).sum(1)
    return np.stack([margin,top,ne],1)
def curve(scores, d, ts=None):
    # scores: list of 2 arrays; exit = first e with score>t
    y=d['y']; preds=[lp.argmax(1) for lp in d['logp']]
    allsc=np.concatenate(scores); 
    if ts is None: ts=np.unique(np.quantile(allsc, np.linspace(0,1,801)))
    pts=[]
    for t in ts:
        ex=np.full(len(y),2)
        ex[(scores[1]>t)]=1; ex[(scores[0]>t)]=0
        pr=np.choose(ex,preds); pts.append(((COSTS[ex]).mean(), (pr==y).mean(), t))
    pts=np.array(pts); o=np.argsort(pts[:,0]); return pts[o]
def at(curve, c):
    # best accuracy reachable at cost <= c? use interpolation on upper envelope? use linear interp on sorted curve
    return np.interp(c, curve[:,0], curve[:,1])
def report(name, sc_test, base):
    cv=curve(sc_test,S['test']); grid=np.linspace(0.11,0.5,40)
    a=np.array([at(cv,c) for c in grid]); b=np.array([at(base,c) for c in grid])
    diff=a-b
    print(f"{name:34s} min diff {100*diff.min():+.3f}pt at {grid[diff.argmin()]:.3f}  max {100*diff.max():+.3f}  | acc@.12 {100*at(cv,.12):.2f} @.13 {100*at(cv,.13):.2f} @.15 {100*at(cv,.15):.2f} @.2 {100*at(cv,.2):.2f} @.3 {100*at(cv,.3):.2f}")
    return cv
def sig(z): return 1/(1+np.exp(-z))
def fit_lr(X, t, w, l2=1e-3, iters=300):
    X=np.hstack([X,np.ones((len(X),1))]); mu=X[:,:-1].mean(0); sd=X[:,:-1].std(0)+1e-6
    Xn=X.copy(); Xn[:,:-1]=(X[:,:-1]-mu)/sd
    beta=np.zeros(X.shape[1]); lr=0.5
    # Newton for small, GD otherwise
    for it in range(iters):
        p=sig(Xn@beta); g=Xn.T@(w*(p-t))/w.sum()+l2*np.r_[beta[:-1],0]
        if X.shape[1]<=20:
            H=(Xn*(w*p*(1-p))[:,None]).T@Xn/w.sum()+l2*np.eye(len(beta)); beta-=np.linalg.solve(H,g)
        else:
            beta-=2.0*g
    return lambda Z: (np.hstack([(Z-mu)/sd,np.ones((len(Z),1))]))@beta
def tags(d):
    nll=np.stack([-d['logp'][e][np.arange(len(d['y'])),d['y']] for e in range(3)],1)
    return np.argmin(nll+LAM*COSTS,1)
te=S['test']; tr=S['train']; va=S['val']
for e in range(3): print('exit',e,'acc test',(te['logp'][e].argmax(1)==te['y']).mean(),'train',(tr['logp'][e].argmax(1)==tr['y']).mean(),'val',(va['logp'][e].argmax(1)==va['y']).mean())
ms=[np.exp(te['logp'][e].max(1)) for e in range(2)]
base=curve(ms,te)
report('max-softmax', ms, base)
report('package confidence (joint)', te['conf'], base)
report('margin', [stats(te['logp'][e])[:,0] for e in range(2)], base)
report('neg entropy', [stats(te['logp'][e])[:,2] for e in range(2)], base)
for src in ['train','val']:
    d=S[src]; tg=tags(d)
    for target in ['tag','correct']:
        for inputs in ['stats','feat+stats']:
            fs=[]
            for e in range(2):
                X=stats(d['logp'][e]) if inputs=='stats' else np.hstack([d['feat'][e],stats(d['logp'][e])])
                t=(tg==e).astype(float) if target=='tag' else (d['logp'][e].argmax(1)==d['y']).astype(float)
                r=t.mean(); w=np.where(t>0,1-r,r)
                fs.append(fit_lr(X,t,w, l2=1e-3 if inputs=='stats' else 1e-2))
            sc=[fs[e](stats(te['logp'][e]) if inputs=='stats' else np.hstack([te['feat'][e],stats(te['logp'][e])])) for e in range(2)]
            report(f'LR {src} {target} {inputs}', sc, base)

# --- targets: correctness, cost-aware stop targets; class balance on or off

def corr(d,e): return (d['logp'][e].argmax(1)==d['y'])
def target(d,e,kind):
    c=corr(d,e)
    if kind=='correct': return c.astype(float)
    later=np.zeros(len(c),bool)
    for j in range(e+1,3): later|=corr(d,j)
    return (c|~later).astype(float)
def probe_grid(statsfn, featuresets):
    """Fits a logistic-regression exit score per early exit on the training dump for every target, balancing,
    feature set and L2 weight, and reports each on the test dump."""
    d=S['train']
    for kind in ['correct','costaware']:
      for bal in [True,False]:
        for cols,name in featuresets:
          for l2 in [1e-4,1e-2]:
            fs=[]
            for e in range(2):
              X=statsfn(d['logp'][e])[:,cols]; t=target(d,e,kind); r=t.mean(); w=np.where(t>0,1-r,r) if bal else np.ones(len(t))
              fs.append(fit_lr(X,t,w,l2=l2))
            sc=[fs[e](statsfn(te['logp'][e])[:,cols]) for e in range(2)]
            report(f'{kind} bal={int(bal)} {name} l2={l2}', sc, base)
probe_grid(stats, [([0],'margin'),([0,1],'margin+top'),([0,1,2],'stats')])

# --- inputs on log scales (margin, log(1 - p_top), log entropy)

def stats2(lp):
    s=np.sort(lp,1); m=s[:,-1]-s[:,-2]
    others=s[:,:-1]; mx=others.max(1); u=mx+np.log(np.exp(others-mx[:,None]).sum(1))
    H=-(np.exp(lp)*lp).sum(1); return np.stack([m,u,np.log(H+1e-30)],1)
report('u (=max-softmax rank)', [-stats2(te['logp'][e])[:,1] for e in range(2)], base)
probe_grid(stats2, [([0,1],'m,u'),([0,1,2],'m,u,logH'),([1,2],'u,logH')])
