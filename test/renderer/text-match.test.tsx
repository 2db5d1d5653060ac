// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { MultiPicker } from '../../src/renderer/components/MultiPicker';
import { searchTasks } from '../../src/renderer/graph/graph-filter';
import { makeTask } from './support/fixtures';

afterEach(cleanup);

// Review finding L2: "hotfix rel" found nothing for "Hotfix: release" (the toolbar's search, the Depends-on picker).
const tasks = [
  makeTask({ id: 'hf-rel', title: 'Hotfix: release' }),
  makeTask({ id: 'hf-upload', title: 'Hotfix: stuck upload' }),
  makeTask({ id: 'build', title: 'Build the API' }),
];

describe('search, by the starts of words', () => {
  it('finds a task by the starts of its words, case and punctuation aside, and still by any part of its title or id', () => {
    const found = (text: string) => searchTasks(tasks, text, 10).matches.map((task) => task.id);
    expect(found('hotfix rel')).toEqual(['hf-rel']);
    expect(found('REL hotfix')).toEqual(['hf-rel']);
    expect(found('hotfix')).toEqual(['hf-rel', 'hf-upload']);
    expect(found('Hotfix: rel')).toEqual(['hf-rel']);
    expect(found('hf-rel')).toEqual(['hf-rel']);
    expect(found('uild')).toEqual(['build']);
    expect(found('hotfix build')).toEqual([]);
    expect(found('  ')).toEqual([]);
  });

  it('offers it in a picker (the task form’s Depends on)', () => {
    function Picker() {
      const [value, setValue] = useState<string[]>([]);
      return <MultiPicker options={tasks.map((t) => ({ value: t.id, label: t.title, detail: t.id }))} value={value} onChange={setValue} />;
    }
    render(<Picker />);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'hotfix rel' } });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([expect.stringContaining('Hotfix: release')]);
  });
});
