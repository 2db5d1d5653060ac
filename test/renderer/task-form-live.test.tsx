// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Root } from '../../src/renderer/Root';
import { makeTask } from './support/fixtures';
import { giveElementsASize } from './support/sizes';
import { Workgraph } from './support/workgraph';

/**
 * The Edit form while the task changes under it (another window, `wg edit` or `wg add-dep` in a terminal): the
 * fields the person did not touch follow the task, a field both changed is not written blindly, and a dependency
 * added elsewhere is kept when the person saves theirs.
 */
afterEach(cleanup);
giveElementsASize({ width: 1200, height: 800 });
const LAID_OUT = { timeout: 10_000 };

async function openEdit(id: string) {
  const fake = await Workgraph.open();
  await fake.seed([
    makeTask({ id: 'design', title: 'Design the schema', status: 'done' }),
    makeTask({ id: 'build', title: 'Build the API', after: ['design'], description: 'REST first.' }),
    makeTask({ id: 'docs', title: 'Write docs' }),
    makeTask({ id: 'review', title: 'Review the API' }),
  ]);
  const { container } = render(<Root backend={fake.backend} />);
  await screen.findByText('Build the API', {}, LAID_OUT);
  fireEvent.click(container.querySelector(`[data-id="${id}"]`) as HTMLElement);
  const inspector = await screen.findByRole('complementary', { name: 'Task inspector' });
  fireEvent.click(within(inspector).getByRole('button', { name: 'Edit' }));
  const dialog = await screen.findByRole('dialog', { name: `Edit ${id}` }, LAID_OUT);
  return { fake, dialog };
}

describe('the Edit form while the task changes elsewhere', () => {
  it('shows the live values of fields the person has not touched', async () => {
    const { fake, dialog } = await openEdit('build');
    fireEvent.change(within(dialog).getByLabelText('Description'), { target: { value: 'REST first. Mine.' } });
    await fake.call('task:edit', { id: 'build', title: 'Build the API (incl. SSO)', priority: 'high' });
    await waitFor(() => expect((within(dialog).getByLabelText('Title') as HTMLInputElement).value).toBe('Build the API (incl. SSO)'));
    expect((within(dialog).getByLabelText('Priority') as HTMLSelectElement).value).toBe('high');
    // The person's own text stays.
    expect((within(dialog).getByLabelText('Description') as HTMLTextAreaElement).value).toBe('REST first. Mine.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect((await fake.task('build'))?.description).toBe('REST first. Mine.'));
    expect(await fake.task('build')).toMatchObject({ title: 'Build the API (incl. SSO)', priority: 'high' });
  });

  it('does not write over a field changed meanwhile: it says so with the value it has now, and a second Save writes', async () => {
    const { fake, dialog } = await openEdit('build');
    const description = within(dialog).getByLabelText('Description') as HTMLTextAreaElement;
    fireEvent.change(description, { target: { value: 'REST first. [B: run in CI nightly]' } });
    await fake.call('task:edit', { id: 'build', description: 'REST first. [A: use Playwright]' });
    // Wait until the window has the terminal's change (the inspector shows it), then save.
    await screen.findByText('REST first. [A: use Playwright]', {}, LAID_OUT);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('Description was changed since you opened this form')).toBeTruthy();
    expect(within(dialog).getByText('REST first. [A: use Playwright]')).toBeTruthy();
    expect(description.getAttribute('aria-invalid')).toBe('true');
    expect((await fake.task('build'))?.description).toBe('REST first. [A: use Playwright]');
    // Seen: the second Save writes the person's text.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect((await fake.task('build'))?.description).toBe('REST first. [B: run in CI nightly]'));
  });

  it('can take the current value instead', async () => {
    const { fake, dialog } = await openEdit('build');
    fireEvent.change(within(dialog).getByLabelText('Description'), { target: { value: 'Mine' } });
    await fake.call('task:edit', { id: 'build', description: 'Theirs' });
    await screen.findByText('Theirs', {}, LAID_OUT);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    fireEvent.click(await within(dialog).findByRole('button', { name: 'use the current one' }));
    expect((within(dialog).getByLabelText('Description') as HTMLTextAreaElement).value).toBe('Theirs');
    expect(within(dialog).queryByText(/was changed since you opened/)).toBeNull();
  });

  it('keeps a dependency added elsewhere while the person adds and removes theirs', async () => {
    const { fake, dialog } = await openEdit('build');
    await fake.call('task:addDep', { task: 'build', dependency: 'docs' });
    // The form shows it: its chips follow the task.
    await within(dialog).findByRole('button', { name: 'Remove Write docs' });
    const depends = within(dialog).getByRole('combobox', { name: /^Depends on/ });
    fireEvent.change(depends, { target: { value: 'review' } });
    fireEvent.keyDown(depends, { key: 'Enter' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove Design the schema' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect((await fake.task('build'))?.after).toEqual(['docs', 'review']));
  });

  it('keeps a dependency added elsewhere after the form opened, not shown to the person yet', async () => {
    const { fake, dialog } = await openEdit('build');
    const depends = within(dialog).getByRole('combobox', { name: /^Depends on/ });
    fireEvent.change(depends, { target: { value: 'review' } });
    fireEvent.keyDown(depends, { key: 'Enter' });
    await fake.call('task:addDep', { task: 'build', dependency: 'docs' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect([...((await fake.task('build'))?.after ?? [])].sort()).toEqual(['design', 'docs', 'review']));
  });
});

describe('text left in "Depends on"', () => {
  it('blocks Create with "no task matches" instead of creating the task without it', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'billing-25', title: 'Ship billing' })]);
    render(<Root backend={fake.backend} />);
    await screen.findByText('Ship billing', {}, LAID_OUT);
    fireEvent.click(screen.getByRole('button', { name: '+ New task' }));
    const dialog = await screen.findByRole('dialog', { name: 'New task' }, LAID_OUT);
    fireEvent.change(within(dialog).getByLabelText('Title'), { target: { value: 'Announce the billing release' } });
    fireEvent.change(within(dialog).getByLabelText(/^Id/), { target: { value: 'announce' } });
    const depends = within(dialog).getByRole('combobox', { name: /^Depends on/ });
    fireEvent.change(depends, { target: { value: 'billing-26' } });
    // Said while typing, and Enter in the box does not submit the form.
    expect(within(dialog).getByRole('status').textContent).toBe("no task matches 'billing-26'");
    expect(fireEvent.keyDown(depends, { key: 'Enter' })).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(depends.getAttribute('aria-invalid')).toBe('true'));
    // Said once, at the field; it follows what is typed.
    expect(within(dialog).getAllByText("no task matches 'billing-26'")).toHaveLength(1);
    fireEvent.change(depends, { target: { value: 'billing-27' } });
    expect(within(dialog).getAllByText("no task matches 'billing-27'")).toHaveLength(1);
    expect((await fake.task('announce')) !== undefined).toBe(false);
    // Corrected and picked, it is created with it.
    fireEvent.change(depends, { target: { value: 'billing-25' } });
    fireEvent.keyDown(depends, { key: 'Enter' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create task' }));
    await waitFor(async () => expect((await fake.task('announce'))?.after).toEqual(['billing-25']));
  });

  it('names a task left out because it would make a cycle, and does not save without it', async () => {
    const { fake, dialog } = await openEdit('design');
    const depends = within(dialog).getByRole('combobox', { name: /^Depends on/ });
    fireEvent.change(within(dialog).getByLabelText('Title'), { target: { value: 'Design the schema well' } });
    fireEvent.change(depends, { target: { value: 'build' } });
    expect(within(dialog).getByRole('status').textContent).toBe('build depends on this task; it cannot also be before it');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(depends.getAttribute('aria-invalid')).toBe('true'));
    expect((await fake.task('design'))?.title).toBe('Design the schema');
  });

  it('asks for a match to be picked rather than saving without it', async () => {
    const { fake, dialog } = await openEdit('build');
    const depends = within(dialog).getByRole('combobox', { name: /^Depends on/ });
    fireEvent.change(depends, { target: { value: 'review' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText("'review' is not chosen yet: pick it from the list, or clear the box")).toBeTruthy();
    expect((await fake.task('build'))?.after).toEqual(['design']);
  });
});

describe('closing a form with changes', () => {
  async function openNew() {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'billing-25', title: 'Ship billing' })]);
    render(<Root backend={fake.backend} />);
    await screen.findByText('Ship billing', {}, LAID_OUT);
    fireEvent.click(screen.getByRole('button', { name: '+ New task' }));
    return screen.findByRole('dialog', { name: 'New task' }, LAID_OUT);
  }
  const pressEscape = () => fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });

  it('closes an unchanged form at once', async () => {
    await openNew();
    pressEscape();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('asks before discarding; a second Escape keeps editing, with the focus back where it was', async () => {
    const dialog = await openNew();
    const title = within(dialog).getByLabelText('Title') as HTMLInputElement;
    fireEvent.change(title, { target: { value: 'Announce the billing release' } });
    const depends = within(dialog).getByRole('combobox', { name: /^Depends on/ });
    depends.focus();
    fireEvent.change(depends, { target: { value: 'ship' } });
    // The first Escape closes the suggestion list, the second asks.
    pressEscape();
    pressEscape();
    const ask = within(dialog).getByRole('group', { name: 'Discard changes?' });
    expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Keep editing' }));
    pressEscape();
    expect(within(dialog).queryByRole('group', { name: 'Discard changes?' })).toBeNull();
    expect(document.activeElement).toBe(depends);
    expect(title.value).toBe('Announce the billing release');
    // Cancel asks too; Discard closes.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('asks in the Edit form too, and Keep editing keeps what was typed', async () => {
    const { dialog } = await openEdit('build');
    fireEvent.change(within(dialog).getByLabelText('Description'), { target: { value: 'Mine' } });
    pressEscape();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect((within(dialog).getByLabelText('Description') as HTMLTextAreaElement).value).toBe('Mine');
    expect(screen.getByRole('dialog', { name: 'Edit build' })).toBeTruthy();
  });
});
