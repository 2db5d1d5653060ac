// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Field } from '../../src/renderer/components/Field';
import { MultiPicker } from '../../src/renderer/components/MultiPicker';

afterEach(cleanup);

const OPTIONS = [0, 1, 2].map((n) => ({ value: `t${n}`, label: `Task ${n}` }));

function Picker({ onChange }: { onChange: (value: string[]) => void }) {
  const [value, setValue] = useState<string[]>([]);
  return (
    <Field label="Depends on">
      <MultiPicker
        options={OPTIONS}
        value={value}
        onChange={(next) => {
          setValue(next);
          onChange(next);
        }}
      />
    </Field>
  );
}

/** A keydown the way a browser sends it; false when a handler prevented its default (for Enter: the form's submit). */
const press = (key: string) => fireEvent.keyDown(document.activeElement as HTMLElement, { key });

describe('MultiPicker (Depends on)', () => {
  it('Enter with nothing typed and nothing arrowed to picks nothing, and does not submit the form either', () => {
    const onChange = vi.fn();
    render(<Picker onChange={onChange} />);
    const box = screen.getByRole('combobox', { name: 'Depends on' });
    box.focus();
    fireEvent.focus(box);
    // The list may show what there is to choose, with none of it chosen yet.
    expect(screen.getAllByRole('option')).toHaveLength(3);
    expect(box.getAttribute('aria-activedescendant')).toBeNull();
    expect(press('Enter')).toBe(false);
    expect(press('Enter')).toBe(false);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('picks what the person arrowed to, and after a pick a second Enter picks nothing more', () => {
    const onChange = vi.fn();
    render(<Picker onChange={onChange} />);
    const box = screen.getByRole('combobox', { name: 'Depends on' });
    box.focus();
    fireEvent.focus(box);
    press('ArrowDown');
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { name: 'Task 0' }).id);
    press('ArrowDown');
    expect(press('Enter')).toBe(false);
    expect(onChange).toHaveBeenLastCalledWith(['t1']);
    expect(press('Enter')).toBe(false);
    expect(onChange).toHaveBeenCalledOnce();
    // ArrowUp from nothing goes to the last.
    press('ArrowUp');
    press('Enter');
    expect(onChange).toHaveBeenLastCalledWith(['t1', 't2']);
  });

  it('picks the first match of what was typed', () => {
    const onChange = vi.fn();
    render(<Picker onChange={onChange} />);
    const box = screen.getByRole('combobox', { name: 'Depends on' });
    box.focus();
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: 'task 2' } });
    expect(press('Enter')).toBe(false);
    expect(onChange).toHaveBeenLastCalledWith(['t2']);
    // Typed, then rubbed out: nothing typed, nothing chosen.
    fireEvent.change(box, { target: { value: 'x' } });
    fireEvent.change(box, { target: { value: '' } });
    expect(press('Enter')).toBe(false);
    expect(onChange).toHaveBeenCalledOnce();
  });

  it('says so when what is typed matches nothing, and Enter then neither picks nor submits', () => {
    const onChange = vi.fn();
    render(<Picker onChange={onChange} />);
    const box = screen.getByRole('combobox', { name: 'Depends on' });
    box.focus();
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: 'billing-26' } });
    expect(screen.queryByRole('option')).toBeNull();
    const note = screen.getByRole('status');
    expect(note.textContent).toBe("nothing matches 'billing-26'");
    expect(box.getAttribute('aria-describedby')).toContain(note.id);
    expect(press('Enter')).toBe(false);
    expect(onChange).not.toHaveBeenCalled();
  });
});
