/** The indices of each class's images, in image order, the classes in label order; unlabelled rows (-1) left out. */
export function indicesByClass(labels: ArrayLike<number>): { readonly label: number; readonly indices: number[] }[] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (label < 0) continue;
    const list = byClass.get(label);
    if (list) list.push(i);
    else byClass.set(label, [i]);
  }
  return [...byClass.keys()].sort((a, b) => a - b).map((label) => ({ label, indices: byClass.get(label) as number[] }));
}
