// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgencyPage } from '../../src/renderer/agency/AgencyPage';
import { EvaluationsPage } from '../../src/renderer/pages/EvaluationsPage';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

const options = (select: HTMLElement) =>
  within(select)
    .getAllByRole<HTMLOptionElement>('option')
    .map((o) => o.textContent);

describe('the Agency page forms', () => {
  /** The agency set up with the New agent form already drawn, as on a fresh project; then one of its two selects changed. */
  async function createRightAfterSetUp(name: string, change: { role?: string; tradeoff?: string }) {
    const fake = await Workgraph.open();
    renderWithProject(<AgencyPage />, fake, 'agency');
    // The form is drawn with the empty lists of a fresh project, before the set-up fills them.
    const form = await screen.findByRole('form', { name: 'New agent' });
    fireEvent.click(screen.getByRole('button', { name: 'Set up the agency' }));
    const role = within(form).getByLabelText<HTMLSelectElement>('Role');
    await waitFor(() => expect(options(role)).toContain('Programmer'));
    const roleId = async (n: string) => (await fake.call('role:list', {})).find((r) => r.name === n)?.id;
    const tradeoffId = async (n: string) => (await fake.call('tradeoff:list', {})).find((t) => t.name === n)?.id;
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: name } });
    if (change.role) fireEvent.change(role, { target: { value: await roleId(change.role) } });
    if (change.tradeoff)
      fireEvent.change(within(form).getByLabelText('Tradeoff'), { target: { value: await tradeoffId(change.tradeoff) } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create agent' }));
    const created = async () => (await fake.call('identity:list', {})).find((i) => i.name === name);
    await expect.poll(created).toBeDefined();
    expect(within(form).queryByText(/give an id, an id prefix or a name/)).toBeNull();
    return { made: await created(), programmer: await roleId('Programmer'), careful: await tradeoffId('Careful') };
  }

  // Programmer and Careful, as shown, make the set-up's own Careful Programmer: one of the two is changed at a time.
  it('right after setting up the agency, New agent takes the tradeoff it shows', async () => {
    const { made, careful } = await createRightAfterSetUp('Careful Reviewer', { role: 'Reviewer' });
    expect(made?.tradeoff_id).toBe(careful);
  });

  it('right after setting up the agency, New agent takes the role it shows', async () => {
    const { made, programmer } = await createRightAfterSetUp('Fast Programmer', { tradeoff: 'Fast' });
    expect(made?.role_id).toBe(programmer);
  });

  it("does not offer the assigner's and evaluator's own roles and tradeoffs for a new agent", async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    renderWithProject(<AgencyPage />, fake, 'agency');
    const form = await screen.findByRole('form', { name: 'New agent' });
    const role = within(form).getByLabelText<HTMLSelectElement>('Role');
    const tradeoff = within(form).getByLabelText<HTMLSelectElement>('Tradeoff');
    await waitFor(() => expect(options(role)).toContain('Programmer'));
    expect(options(role)).not.toContain('Assigner');
    expect(options(role)).not.toContain('Evaluator');
    expect(options(tradeoff)).toContain('Careful');
    expect(options(tradeoff)).not.toContain('Assigner Balanced');
    expect(options(tradeoff)).not.toContain('Evaluator Balanced');
  });

  it('asks before removing a role how many agents use it', async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    renderWithProject(<AgencyPage />, fake, 'agency');
    const roles = await screen.findByRole('table', { name: 'Roles' });
    const programmer = (await within(roles).findByText('Programmer')).closest('tr') as HTMLElement;
    fireEvent.click(within(programmer).getByRole('button', { name: 'Remove' }));
    // Careful Programmer is made of it: it would show "missing role".
    expect(within(programmer).getByRole('group').getAttribute('aria-label')).toMatch(/1 agent uses it/);
    const reviewer = within(roles).getByText('Reviewer').closest('tr') as HTMLElement;
    fireEvent.click(within(reviewer).getByRole('button', { name: 'Remove' }));
    expect(within(reviewer).getByRole('group').getAttribute('aria-label')).toBe('Remove Reviewer?');
  });

  it("says a passing score that is not a number with the field's label, next to the field", async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    renderWithProject(<AgencyPage />, fake, 'agency');
    const gate = await screen.findByRole('form', { name: 'Gate limits' });
    const threshold = within(gate).getByLabelText('Passing score (0–1)');
    fireEvent.change(threshold, { target: { value: 'abc' } });
    fireEvent.click(within(gate).getByRole('button', { name: 'Save' }));
    const section = screen.getByRole('region', { name: 'Assignment and evaluation' });
    await waitFor(() => expect(threshold.getAttribute('aria-invalid')).toBe('true'));
    expect(section.textContent).not.toMatch(/eval-threshold/);
    const note = document.getElementById(threshold.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toMatch(/must be a number/);
    // Empty is not 0 (which would pass every score).
    fireEvent.change(threshold, { target: { value: '' } });
    fireEvent.click(within(gate).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(document.getElementById(threshold.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(/empty/));
    expect(fake.calls.some((c) => c.name === 'config:update')).toBe(false);
    // Corrected, the box no longer says what was wrong before (it said "is empty" under 0.8 until the next Save).
    fireEvent.change(threshold, { target: { value: '0.8' } });
    await waitFor(() => expect(threshold.getAttribute('aria-invalid')).not.toBe('true'));
    expect(section.textContent).not.toMatch(/empty/);
  });

  it('says at Role and Tradeoff that there is none yet, on a fresh project, and sends nothing', async () => {
    const fake = await Workgraph.open();
    renderWithProject(<AgencyPage />, fake, 'agency');
    const form = await screen.findByRole('form', { name: 'New agent' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Reviewer' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create agent' }));
    // It said "give an id, an id prefix or a name" there, of a list that offered nothing.
    await within(form).findByText('none yet: add a role first');
    within(form).getByText('none yet: add a tradeoff first');
    expect(within(form).queryByText(/give an id/)).toBeNull();
    expect(fake.calls.some((c) => c.name === 'identity:create')).toBe(false);
  });
});

describe('the Evaluations page form', () => {
  it('asks for the task to score when none is chosen, in its own words', async () => {
    const fake = await Workgraph.open();
    renderWithProject(<EvaluationsPage />, fake, 'evaluations');
    const form = await screen.findByRole('form', { name: 'Record evaluation' });
    fireEvent.change(within(form).getByLabelText('Score (0–1)'), { target: { value: '0.8' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Record' }));
    await within(form).findByText('no task to score yet');
    expect(within(form).queryByText(/give an id/)).toBeNull();
    await fake.call('task:add', { title: 'Scored later', id: 'scored' });
    await within(form).findByRole('option', { name: 'Scored later (scored)' });
    fireEvent.click(within(form).getByRole('button', { name: 'Record' }));
    await within(form).findByText('choose the task to score');
    expect(fake.calls.some((c) => c.name === 'eval:record')).toBe(false);
  });
});
