import { Injectable } from '@angular/core';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Observable, catchError, map, of } from 'rxjs';

export interface Task {
  id: number;
  title: string;
  completed: boolean;
}

@Injectable({ providedIn: 'root' })
export class TaskService {
  private readonly baseUrl = '/api/tasks';

  constructor(private http: HttpClient) {}

  list(onlyOpen = false): Observable<Task[]> {
    const params = new HttpParams().set('open', String(onlyOpen));
    return this.http.get<Task[]>(this.baseUrl, { params }).pipe(catchError(() => of([])));
  }

  complete(task: Task): Observable<Task> {
    return this.http.patch<Task>(`${this.baseUrl}/${task.id}`, { completed: true });
  }

  count(): Observable<number> {
    return this.list().pipe(map((tasks) => tasks.length));
  }
}
