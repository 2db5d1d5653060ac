// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskForm } from '../../src/renderer/tasks/TaskForm';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

/*
 * What the New task form says is wrong: a problem stays only until the person changes that
 * field, a refusal about a field is said at that field, and a shell task with no command is refused before it is
 * made (it could only fail the moment it was ready).
 */
afterEach(cleanup);

async function newTaskForm() {
  const project = await Workgraph.open();
  const done = vi.fn();
  renderWithProject(<TaskForm onDone={done} onCancel={() => undefined} />, project);
  const dialog = await screen.findByRole('dialog', { name: 'New task' });
  const field = (label: string | RegExp) => within(dialog).getByLabelText(label) as HTMLInputElement;
  const noteOf = (label: string | RegExp) => {
    const id = field(label).getAttribute('aria-describedby');
    return id ? (document.getElementById(id)?.textContent ?? null) : null;
  };
  const create = () => fireEvent.click(within(dialog).getByRole('button', { name: 'Create task' }));
  return { project, dialog, field, noteOf, create, done };
}

describe('the New task form', () => {
  it("drops a field's problem once the person changes that field", async () => {
    const form = await newTaskForm();
    form.create();
    await waitFor(() => expect(form.noteOf('Title')).toBe('cannot be empty'));
    fireEvent.change(form.field('Title'), { target: { value: 'Deploy' } });
    expect(form.noteOf('Title')).toBeNull();
    expect(form.field('Title').getAttribute('aria-invalid')).toBeNull();
  });

  it('says a schedule the coordinator refuses at the Schedule field, whole', async () => {
    const form = await newTaskForm();
    fireEvent.change(form.field('Title'), { target: { value: 'Weekly report' } });
    fireEvent.change(form.field('Schedule'), { target: { value: 'every tuesday' } });
    // Sent from the keyboard: the button keeps the focus while the form is sent (a disabled one dropped it to the page,
    // where Escape and Tab no longer reached the dialog), and says it is busy.
    const button = within(form.dialog).getByRole('button', { name: 'Create task' });
    button.focus();
    form.create();
    expect(button.hasAttribute('disabled')).toBe(false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    await waitFor(() => expect(form.noteOf('Schedule')).toMatch(/^schedule 'every tuesday' is not a time of day/));
    expect(document.activeElement).toBe(button);
    expect(within(form.dialog).queryByRole('alert')).toBeNull();
    fireEvent.change(form.field('Schedule'), { target: { value: '09:00' } });
    expect(form.noteOf('Schedule')).toBe('"09:00" or a cron expression');
  });

  it('refuses a shell task with no command at the Shell command field, and makes it once there is one', async () => {
    const form = await newTaskForm();
    fireEvent.change(form.field('Title'), { target: { value: 'Run the tests' } });
    await waitFor(() =>
      expect(
        within(form.field('Executor'))
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toContain('shell (shell)'),
    );
    fireEvent.change(form.field('Executor'), { target: { value: 'shell' } });
    form.create();
    await waitFor(() => expect(form.noteOf('Shell command')).toBe('is needed: the shell executor runs this command'));
    expect((await form.project.task('run-the-tests')) !== undefined).toBe(false);
    fireEvent.change(form.field('Shell command'), { target: { value: 'npm test' } });
    form.create();
    await waitFor(() => expect(form.done).toHaveBeenCalledWith('run-the-tests'));
    expect((await form.project.task('run-the-tests'))?.exec).toBe('npm test');
  });

  // Drawn at the end of the form, "task 'x' already exists" is behind its sticky buttons, and nothing seems to happen
  // on Create.
  it('says an id already in use at the Id field, brought into view, and forgets it once the Id changes', async () => {
    const form = await newTaskForm();
    await form.project.seed([makeTask({ id: 'deploy', title: 'Deploy' })]);
    const scrolled = vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(() => undefined);
    try {
      fireEvent.change(form.field('Title'), { target: { value: 'Deploy again' } });
      fireEvent.change(form.field('Id'), { target: { value: 'deploy' } });
      form.create();
      await waitFor(() => expect(form.noteOf('Id')).toBe("task 'deploy' already exists"));
      expect(within(form.dialog).queryByRole('alert')).toBeNull();
      await waitFor(() => expect(scrolled.mock.contexts.at(-1)).toBe(form.dialog.querySelector('.field-error')));
      // The same refusal again is brought into view again: the person may have scrolled it away meanwhile.
      const before = scrolled.mock.calls.length;
      form.create();
      await waitFor(() => expect(scrolled.mock.calls.length).toBeGreaterThan(before));
      fireEvent.change(form.field('Id'), { target: { value: 'deploy-2' } });
      expect(form.noteOf('Id')).toBe("optional; the title's first three words otherwise");
    } finally {
      scrolled.mockRestore();
    }
  });
});
