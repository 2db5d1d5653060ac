// @vitest-environment happy-dom
import { cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { MultiPicker } from '../../src/renderer/components/MultiPicker';
import { searchTasks } from '../../src/renderer/graph/graph-filter';
import { useDependencyOptions } from '../../src/renderer/tasks/dependency-options';
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

// Found by the UI bench's wide plan: "Stage 11: process shard 0", typed whole and Enter, went to "Stage 0: process shard
// 11", the first task in graph order holding the same words.
describe('search, the best matches first', () => {
  const stages = [
    makeTask({ id: 'l0-11', title: 'Stage 0: process shard 11' }),
    makeTask({ id: 'l0-110', title: 'Stage 0: process shard 110' }),
    makeTask({ id: 'l11-0', title: 'Stage 11: process shard 0', after: ['l0-11'] }),
    makeTask({ id: 'l11-01', title: 'Stage 11: process shard 01' }),
  ];
  const found = (list: typeof stages, text: string, limit = 10) => searchTasks(list, text, limit);

  it('puts a task whose whole title or id was typed first, then the rest in graph order', () => {
    expect(found(stages, 'Stage 11: process shard 0')).toEqual({
      matches: [stages[2], stages[3], stages[0], stages[1]],
      total: 4,
    });
    expect(found(stages, 'l11-0').matches.map((task) => task.id)).toEqual(['l11-0', 'l11-01']);
    // Kept when more lesser matches than the limit come before it.
    expect(found(stages, 'stage 11: process shard 0', 1)).toEqual({ matches: [stages[2]], total: 4 });
    // Punctuation and spacing between the words aside.
    for (const typed of ['Stage 11 process shard 0', 'Stage 11:  process shard 0', 'stage 11 - process shard 0']) {
      expect(found(stages, typed).matches[0]?.id, typed).toBe('l11-0');
    }
    expect(found(stages, 'shard 0').matches[0]?.id).toBe('l11-0');
  });

  it('puts what holds the typed words whole before what holds them inside a longer word, and words in any order last', () => {
    const steps = [
      makeTask({ id: 'back', title: '25 steps back' }),
      makeTask({ id: 's250', title: 'Step 250: deploy' }),
      makeTask({ id: 'redo', title: 'Redo step 25, then ship' }),
      makeTask({ id: 's25', title: 'Step 25' }),
    ];
    expect(found(steps, 'step 25').matches.map((task) => task.id)).toEqual(['s25', 'redo', 's250', 'back']);
    // A letter or digit of any script continues a word (ASCII is told by its code, the rest by Unicode's classes); an
    // underscore or a dash does not.
    const words = [
      makeTask({ id: 'accent', title: 'Café migration' }),
      makeTask({ id: 'greek', title: 'Cafλ migration' }),
      makeTask({ id: 'digit', title: 'Caf2 migration' }),
      makeTask({ id: 'under', title: 'caf_x migration' }),
      makeTask({ id: 'dash', title: 'caf-x migration' }),
    ];
    expect(found(words, 'caf').matches.map((task) => task.id)).toEqual(['under', 'dash', 'accent', 'greek', 'digit']);
  });

  it('offers the best first in a picker, and names the best when what was typed cannot be chosen', () => {
    render(<MultiPicker options={stages.map((t) => ({ value: t.id, label: t.title, detail: t.id }))} value={[]} onChange={() => {}} />);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'Stage 11: process shard 0' } });
    expect(screen.getAllByRole('option')[0]?.textContent).toContain('l11-0');
    // Editing l0-11: l11-0 depends on it (left out of the list), and l0-11 itself is the task; l11-01 is chosen already.
    const { result } = renderHook(() => useDependencyOptions(new Map(stages.map((task) => [task.id, task])), 'l0-11'));
    expect(result.current.problemOf('Stage 11: process shard 0', ['l11-01', 'l0-110'])).toBe(
      'l11-0 depends on this task; it cannot also be before it',
    );
    // So too when lesser matches could still be picked: the task typed whole is the one meant.
    expect(result.current.problemOf('Stage 11: process shard 0', [])).toBe('l11-0 depends on this task; it cannot also be before it');
    // One as good as the best that can be picked: the list offers it.
    expect(result.current.problemOf('Stage 11', [])).toBe("'Stage 11' is not chosen yet: pick it from the list, or clear the box");
    expect(result.current.problemOf('l11-01', [])).toBe("'l11-01' is not chosen yet: pick it from the list, or clear the box");
    expect(result.current.problemOf('l11-01', ['l11-01'])).toBe('l11-01 is chosen already');
  });
});
