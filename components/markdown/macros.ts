// TeX macros shared by every page and by chart labels.
export const TEX_MACROS: Record<string, string> = {
  "\\R": "\\mathbb{R}",
  "\\E": "\\mathbb{E}",
  "\\vh": "\\mathbf{h}",
  "\\vx": "\\mathbf{x}",
  "\\vy": "\\mathbf{y}",
  "\\vb": "\\mathbf{b}",
  "\\vc": "\\mathbf{c}",
  "\\vo": "\\mathbf{o}",
  "\\vz": "\\mathbf{z}",
  "\\diag": "\\operatorname{diag}",
  "\\softmax": "\\operatorname{softmax}",
};
