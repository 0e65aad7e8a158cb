import { Component, OnInit } from '@angular/core';
import { Task, TaskService } from './services/task.service';

@Component({
  selector: 'app-root',
  template: `
    <h1>{{ title }}</h1>
    <ul>
      <li *ngFor="let task of tasks" [class.done]="task.completed">
        {{ task.title }}
        <button *ngIf="!task.completed" (click)="complete(task)">Done</button>
      </li>
    </ul>
  `,
  styles: ['.done { text-decoration: line-through; }'],
})
export class AppComponent implements OnInit {
  title = 'Tasks';
  tasks: Task[] = [];

  constructor(private readonly taskService: TaskService) {}

  ngOnInit(): void {
    this.taskService.list().subscribe((tasks) => (this.tasks = tasks));
  }

  complete(task: Task): void {
    this.taskService.complete(task).subscribe((updated) => {
      this.tasks = this.tasks.map((t) => (t.id === updated.id ? updated : t));
    });
  }
}
