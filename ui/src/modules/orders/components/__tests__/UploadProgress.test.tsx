import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { UploadProgress } from '@/modules/orders/components/UploadProgress';

describe('UploadProgress', () => {
  it('shows the share sent as a labelled bar, and nothing when idle', () => {
    const { rerender } = render(<UploadProgress label="Uploading" progress={{ loaded: 256, total: 1024 }} />);
    expect(screen.getByLabelText('Uploading: 25%')).toHaveValue(25);
    rerender(<UploadProgress label="Uploading" progress={{ loaded: 10, total: 0 }} />);
    expect(screen.getByTestId('upload-progress')).toHaveValue(0);
    rerender(<UploadProgress label="Uploading" progress={null} />);
    expect(screen.queryByTestId('upload-progress')).not.toBeInTheDocument();
  });
});
