// The course in teaching order. The sidebar, the home page's chapter map and the
// unifying table all read this list. `ready` says whether the chapter's page has
// landed; a unit test checks it against the files in src/.

export interface Chapter {
  /** Page path under src/, without ".md". */
  path: string;
  title: string;
  part: string;
  summary: string;
  ready: boolean;
}

export const PARTS = ["Classical sequence models", "Recurrent neural networks", "Gated recurrent networks", "Probabilistic view"] as const;

export const CHAPTERS: Chapter[] = [
  { path: "dependent-data", title: "Dependent data", part: PARTS[0], ready: true,
    summary: "Why sequential observations break the i.i.d. assumption; autocorrelation on real series." },
  { path: "autoregressive-models", title: "Autoregressive models", part: PARTS[0], ready: true,
    summary: "AR(p), VAR(p) and ARMA: simulation, estimation three ways, order selection and forecasting." },
  { path: "kalman-filter", title: "State space models and the Kalman filter", part: PARTS[0], ready: true,
    summary: "Prediction, update and gain; smoothing; maximum likelihood and EM on the Nile data." },
  { path: "rnn", title: "Recurrent neural networks", part: PARTS[1], ready: true,
    summary: "The simple RNN as a nonlinear state space model, unrolled, trained live on sunspot numbers." },
  { path: "bptt", title: "Backpropagation through time", part: PARTS[1], ready: true,
    summary: "Every gradient of the derivation at every time step, checked against autodiff." },
  { path: "vanishing-gradients", title: "Vanishing and exploding gradients", part: PARTS[1], ready: true,
    summary: "The eigenvalue argument on real weights, clipping, and where a vanilla RNN stops remembering." },
  { path: "lstm", title: "Long short-term memory", part: PARTS[2], ready: true,
    summary: "Forget, input and output gates with their real values, learning to hold a memory." },
  { path: "gru", title: "Gated recurrent units", part: PARTS[2], ready: true,
    summary: "Update and reset gates, and the conventions that libraries disagree on." },
  { path: "comparing-rnns", title: "Comparing RNN, LSTM and GRU", part: PARTS[2], ready: true,
    summary: "Accuracy against lag, parameter counts and speed, measured on one task." },
  { path: "hmm", title: "HMMs are RNNs too", part: PARTS[3], ready: true,
    summary: "The normalised forward recursion as an RNN cell; gradients as EM's expected counts." },
];

/** Framework's sidebar: the home page, then each part with its ready chapters. */
export function sidebarPages(chapters: Chapter[] = CHAPTERS) {
  return PARTS.map((part) => ({
    name: part,
    pages: chapters.filter((c) => c.part === part && c.ready).map((c) => ({ name: c.title, path: `/${c.path}` })),
  })).filter((section) => section.pages.length > 0);
}
